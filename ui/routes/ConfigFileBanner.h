// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QFrame>

class QLabel;
class QPushButton;

namespace Switchyard {

// Above the routes tables while the config file on disk holds a hand edit the loader
// refused: the loader's messages, that the gateway still runs on the previous routes, and
// the one way to overwrite the file from the window (a deliberate click, never Apply alone).
class ConfigFileBanner final : public QFrame
{
    Q_OBJECT
public:
    explicit ConfigFileBanner(QWidget *parent = nullptr);

    void setProblems(const QStringList &messages);
    QString text() const;

Q_SIGNALS:
    void overwriteRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateColours();

    QLabel *m_text;
    QPushButton *m_overwrite;
};

} // namespace Switchyard
