// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace Switchyard {

class JsonTreeModel;

// One body as a collapsible JSON tree (or its events, for a stream), with plain text as the
// fallback for anything that is not JSON, and a caption saying what it is.
class JsonBodyView final : public QWidget
{
    Q_OBJECT
public:
    explicit JsonBodyView(QWidget *parent = nullptr);

    void setBody(const QByteArray &body, bool truncated = false);
    void setPlaceholder(const QString &text);
    void setCaption(const QString &caption);

    JsonTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    bool showsPlainText() const;
    // A stream is shown as the reply its events make up ("text", "tool_calls", "usage"), or,
    // with showRawEvents(true), as the events themselves.
    bool showsAssembledReply() const { return m_assembled; }
    void showRawEvents(bool raw);
    QString plainText() const;

private:
    void copyBody();
    void fitKeyColumn();

    JsonTreeModel *m_model;
    QLabel *m_caption;
    QLabel *m_note;
    QStackedWidget *m_stack;
    QTreeView *m_tree;
    QPlainTextEdit *m_text;
    QByteArray m_body;
    QToolButton *m_eventsButton = nullptr;
    bool m_assembled = false;
};

} // namespace Switchyard
