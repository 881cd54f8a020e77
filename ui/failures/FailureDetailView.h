// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QProgressBar;
class QTextBrowser;

namespace Switchyard {

// One failed request and, beside it, the result of replaying it: for each the outcome,
// route, timing, tokens and every attempt; the original's request body and the replay's
// response; above them the Replay and Edit & Replay buttons. Shows values and reports
// clicks; FailuresPage decides what and when.
class FailureDetailView final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int ResponseExcerptChars = 4000;

    explicit FailureDetailView(QWidget *parent = nullptr);

    void showOriginal(const CallRecord &record); // a full record, with bodies
    void showOriginalError(const QString &message);
    void clear();

    void showReplayRunning();
    void showReplay(const CallRecord &record, const QString &error);
    void clearReplay();

    QString originalText() const;
    QString originalBody() const;
    QString replayText() const;
    QString replayBody() const;
    bool isReplayRunning() const;
    void setActionsEnabled(bool replay, bool editAndReplay);

    // Facts and the attempts table as rich text.
    static QString describe(const CallRecord &record);

Q_SIGNALS:
    void replayRequested();
    void editAndReplayRequested();

private:
    struct Side
    {
        QLabel *title = nullptr;
        QTextBrowser *facts = nullptr;
        QLabel *bodyTitle = nullptr;
        QPlainTextEdit *body = nullptr;
    };
    Side buildSide(const QString &title, QWidget *parent);
    void showPlaceholder(const Side &side, const QString &text);

    Side m_original;
    Side m_replay;
    QByteArray m_originalRequest; // to tell an edited replay from a plain one
    QProgressBar *m_busy = nullptr;
    QPushButton *m_replayButton = nullptr;
    QPushButton *m_editButton = nullptr;
};

} // namespace Switchyard
